"""ReCL: slowing down forgetting in continual learning by reconstructing old data from the network itself

Modules:

- `recl.cluster`: One execution layer for everything that runs many jobs: in this process (the default), on `N` local worker processes, on a running Dask cluster, or on SLURM through dask-jobqueue. It knows jobs as functions and their arguments; what a job is (a configuration and a seed, a trial) is the runner's (`recl.runner`), and SLURM's settings are `recl.slurm`'s."""

__version__ = "0.1.0"
