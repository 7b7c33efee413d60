"""gunicorn settings for Prachum: `gunicorn "app:create_app()"` reads this file from the working directory.

Options given on the command line (--workers, --bind …) override what is set here. With PROMETHEUS_MULTIPROC_DIR
set, every worker writes its metrics there and /metrics adds them up (the folder is emptied at start).
"""
import os
import shutil


def on_starting(server) -> None:
    """Start with an empty metrics folder: figures of workers from an earlier run would be added in."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def post_worker_init(worker) -> None:
    """Each worker loads PyThaiNLP's dictionary before its first request, so the first search does not wait; then
    everything loaded so far (the app, its modules, that dictionary) is moved out of the garbage collector's way, so
    a collection during a request walks only what requests made, not the whole program."""
    import gc

    from app.search.tokens import warm_up

    warm_up()
    gc.collect()
    gc.freeze()


def child_exit(server, worker) -> None:
    """A worker that stops leaves its live gauges out of /metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
