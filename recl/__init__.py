"""ReCL: slowing down forgetting in continual learning by reconstructing old data from the network itself"""

__version__ = "0.1.0"
