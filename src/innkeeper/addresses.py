"""Addresses as our mail carries them: in ASCII, as SMTP without SMTPUTF8 takes them."""

import idna


class UnsendableAddress(ValueError):
    """An address the outbox cannot send to."""


def ascii_address(address: str) -> str:
    """The address as the SMTP server is given it: a domain beyond ASCII in its IDNA form.

    `zoe@bücher.example` goes out as `zoe@xn--bcher-kva.example`. Letters beyond ASCII
    before the @ (`Zoë@…`) would need the SMTPUTF8 extension of every server on the
    way, which cannot be known before sending: UnsendableAddress.
    """
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise UnsendableAddress(
            f"{address} has letters beyond ASCII before the @, which needs SMTPUTF8"
        )
    if domain.isascii():
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError as error:
        raise UnsendableAddress(f"{address} has an invalid domain: {error}") from error
