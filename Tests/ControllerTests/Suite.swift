// Tests for Controller; each file holds one suite.
