// Tests for ModelAPI; each file holds one suite.
