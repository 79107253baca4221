import sys

from repm.cli import main

sys.exit(main())
