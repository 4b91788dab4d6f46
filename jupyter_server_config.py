# JupyterLab / Jupyter server settings of this repository (`make lab` uses them; `make install` copies them into
# .venv/etc/jupyter so that `.venv/bin/jupyter lab` finds them too). Saving a notebook cleans it the way
# `nbdev-clean` does (nbdev's `jupyter_hooks`, switched on in pyproject.toml), so a notebook opened and saved in
# JupyterLab changes by the edit only and `make test`'s nbdev-clean check stays green.
def nbdev_clean_jupyter(**kwargs):
    try: from nbdev.clean import clean_jupyter
    except ModuleNotFoundError: return
    clean_jupyter(**kwargs)

c.ContentsManager.pre_save_hook = nbdev_clean_jupyter

# kernels talk to the server over CurveZMQ-encrypted sockets where the kernel supports it (ipykernel does, and warns
# at every start when it runs over plain TCP)
c.MappingKernelManager.transport_encryption = 'auto'
