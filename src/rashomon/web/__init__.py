"""The local web app of ``rashomon serve`` (needs the ``[web]`` extra)."""
