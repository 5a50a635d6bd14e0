// Tests for Placement; each file holds one suite.
