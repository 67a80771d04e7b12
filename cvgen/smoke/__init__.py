"""`cvgen smoke`: check a live deployment (pure judgements in `checks`, HTTP in `client`)."""
