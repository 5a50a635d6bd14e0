// Tests for LocalCluster; each file holds one suite.
