"""Publishing a built site to S3 + CloudFront: scan, plan (pure), execute, record releases."""
