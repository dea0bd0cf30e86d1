"""`exoreview simulate`: replay a labelled review with the active learner and report the work saved."""

from __future__ import annotations

import json
from pathlib import Path

import click
import typer

from exoreview.cli.common import out


def simulate(
    dataset: Path = typer.Argument(..., help="A SYNERGY folder, or a CSV with title, abstract, label_included."),
    more_prior_idx: list[str] = typer.Argument(None, hidden=True),
    seed: int = typer.Option(0, help="Seed of the drawn priors and of the model."),
    prior_idx: list[int] = typer.Option([], "--prior-idx",
                                        help="0-based rows to start from: --prior-idx I J ... (default: one "
                                             "relevant and one irrelevant drawn with the seed)."),
    model: str = typer.Option("ensemble", help="lr, svm, nb, sgd or ensemble."),
    query: str = typer.Option("max", help="max, uncertainty or mixed."),
    batch: str = typer.Option("1", help="Records read per retrain (1: retrain after every record), or 'auto': "
                                        "every record for the first 50, then 2% of those read."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON line."),
) -> None:
    """Screen a labelled dataset in model order to the end; print WSS@95, recall@10% and the stop point."""
    from exoreview.screen.active import ActiveLearner
    from exoreview.screen.simulation import AUTO, DatasetError, draw_priors, load_dataset, result_row
    from exoreview.screen.simulation import simulate as run_simulation

    # `--prior-idx 3 7` leaves 7 as a positional argument: gather it back here.
    if more_prior_idx and not prior_idx:
        raise click.BadParameter(f"unexpected argument(s): {' '.join(more_prior_idx)}")
    if batch != "auto" and not batch.isdigit():
        raise click.BadParameter(f"--batch takes a whole number or 'auto', got {batch!r}")
    per_retrain = AUTO if batch == "auto" else int(batch)
    if per_retrain < 1 and batch != "auto":
        raise click.BadParameter("--batch must be at least 1")
    priors = list(prior_idx)
    for value in more_prior_idx or []:
        if not value.lstrip("-").isdigit():
            raise click.BadParameter(f"--prior-idx takes row numbers, got {value!r}")
        priors.append(int(value))
    try:
        data = load_dataset(dataset)
        chosen = priors or draw_priors(data.labels, seed)
        run = run_simulation(data, chosen, seed=seed, batch=per_retrain,
                             learner=ActiveLearner(model=model, query=query, random_state=seed))
    except DatasetError as exc:
        raise click.BadParameter(str(exc)) from exc
    except ValueError as exc:  # unknown model or strategy, bad batch
        raise click.BadParameter(str(exc)) from exc
    row = result_row(data, seed, run)
    if as_json:
        typer.echo(json.dumps(row))
        return
    for key, value in row.items():
        out.print(f"{key}: {value}", markup=False, highlight=False)
