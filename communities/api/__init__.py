"""JSON endpoints for signed-in users, scoped like everything else."""
