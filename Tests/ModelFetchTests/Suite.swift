// Tests for ModelFetch; each file holds one suite.
