"""``routilux serve``: watch and steer jobs in a browser and over HTTP.

Installed with the ``web`` extra (``pip install 'routilux[web]'``: Starlette and
uvicorn, plus prometheus-client for ``/metrics``). Only `command` is imported to
build the ``routilux`` command line, and it imports nothing heavy; the server
modules load when ``routilux serve`` runs. The pieces:

- `service`: jobs in the store and the jobs this process runs (start, resume,
  cancel, answer a pause), framework-free;
- `views`: JobStates as JSON; `pauses`: pause points and answers;
- `graph`: the flow drawn as SVG, coloured by routine status (no CDN, no binary);
- `feed`: changes to jobs, for server-sent events;
- `metrics`: Prometheus counters and histograms from the lifecycle observers;
- `app`: the Starlette application (JSON API, ``/openapi.json``, pages).
"""
