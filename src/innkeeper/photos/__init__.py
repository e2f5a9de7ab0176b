"""The places' photos: uploaded, checked, re-encoded at a few sizes, served by the site."""
