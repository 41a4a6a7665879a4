"""The ``heatmap`` command-line interface: thin click commands over the library."""
