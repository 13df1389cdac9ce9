"""`python -m bot` is the same as the `complaintbot` command."""

import sys

from bot.launch import main

sys.exit(main())
