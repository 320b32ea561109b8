"""Run the graphmodel command line from a checkout: ``python cli.py --help``."""

from graphmodel.cli.main import main

if __name__ == "__main__":
    main()
