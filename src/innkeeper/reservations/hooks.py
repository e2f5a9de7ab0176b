"""Where features built on stays (payments) plug in, so that reservations need not import them.

Each `stay_details` function gives template values for a stay's pages; each
`mail_details` one, values for the guest's mail about it (built outside any request);
each `cancellation_steps` one settles what a cancellation changes for it, in the
cancellation's transaction.
"""

from collections.abc import Callable

stay_details: list[Callable] = []
mail_details: list[Callable] = []
cancellation_steps: list[Callable] = []


def _merged(hooks: list[Callable], reservation) -> dict:
    return {name: value for details in hooks for name, value in details(reservation).items()}


def details_of(reservation) -> dict:
    """What the features built on stays show about this one on its pages."""
    return _merged(stay_details, reservation)


def mail_details_of(reservation) -> dict:
    """What the features built on stays tell the guest about this one in mail."""
    return _merged(mail_details, reservation)
