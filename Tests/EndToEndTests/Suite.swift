// Tests for EndToEnd; each file holds one suite.
