"""`cvgen infra`: the CloudFormation stacks in `infra/`, packaged, deployed and torn down."""
