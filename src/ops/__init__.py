"""Operations, not domain: the command table (CLI and the Lambda migrator), the migration runner,
the demo seed and the synthetic data set."""
