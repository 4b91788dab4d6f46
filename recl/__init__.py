"""ReCL: slowing down forgetting in continual learning by reconstructing old data from the network itself

Modules:

- `recl.models`: Homogeneous MLP and CNN (paper Appendix D.1), AlexNet/ResNet-18 for the non-homogeneous experiment, class-incremental head growth, and a numerical check of homogeneity (Eq. 7)."""

__version__ = "0.1.0"
