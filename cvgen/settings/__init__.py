"""`cvgen.yaml`, the site project's settings: reading and validating it (`config`), its
`languages:` (`languages`) and `variants:` (`variants`) blocks, and writing values back into
it without losing the owner's comments (`write`). Settings know nothing about the CV."""
