"""MeSH descriptors and tree explosion."""

from exoreview.mesh.tree import Descriptor, MeshTree

__all__ = ["Descriptor", "MeshTree"]
