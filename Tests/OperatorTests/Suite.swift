// Tests for Operator; each file holds one suite.
