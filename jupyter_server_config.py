# JupyterLab / Jupyter server settings of this repository (`make lab` uses them; `make install` copies them into
# .venv/etc/jupyter so that `.venv/bin/jupyter lab` finds them too). Saving a notebook cleans it the way
# `nbdev-clean` does (nbdev's `jupyter_hooks`, switched on in pyproject.toml), so a notebook opened and saved in
# JupyterLab changes by the edit only and `make test`'s nbdev-clean check stays green.
def nbdev_clean_jupyter(**kwargs):
    try: from nbdev.clean import clean_jupyter
    except ModuleNotFoundError: return
    clean_jupyter(**kwargs)

c.ContentsManager.pre_save_hook = nbdev_clean_jupyter

# kernels talk to the server over Unix sockets beside their connection files in Jupyter's runtime folder (IPC), not TCP
# ports: a TCP port is picked free and bound by the kernel only later, and another process can take it in between (the
# kernel then dies with 'Address already in use'); IPC sockets are private to the user, so ipykernel does not warn about
# unencrypted TCP either
c.KernelManager.transport = 'ipc'
