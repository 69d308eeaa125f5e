"""The command line's parts (python -m core, core/__main__.py): its output helpers and the data loop's commands."""
