"""komae_analysis: the reproducible statistical appendix of Komae City's integrated welfare plan."""

__version__ = "0.1.0"
