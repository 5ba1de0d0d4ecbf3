"""Patches of libraries' internals, for build speed or accessibility. Each one says which
library version it was written for and which upstream change would retire it."""
