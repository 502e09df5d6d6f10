"""CER Milano engine: energy, incentives and money for renewable energy communities.

Plain Python (numpy, pandas, pvlib); never imports streamlit. The app in ``app/`` is a thin face
on it, and so is the command line (``python -m cer_core``).
"""

__version__ = "0.1.0"
