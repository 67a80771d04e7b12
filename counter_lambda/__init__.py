"""The visitor counter backend: a thin Lambda handler over a pure core (standard library + boto3)."""
