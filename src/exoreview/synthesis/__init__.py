"""Synthesis: the numbers, tables and references of the report, computed from the store alone."""

from exoreview.synthesis.build import IndicationSection, Synthesis, build_synthesis
from exoreview.synthesis.prisma import PrismaError, PrismaFlow, Reason, compute_flow

__all__ = [
    "IndicationSection",
    "PrismaError",
    "PrismaFlow",
    "Reason",
    "Synthesis",
    "build_synthesis",
    "compute_flow",
]
