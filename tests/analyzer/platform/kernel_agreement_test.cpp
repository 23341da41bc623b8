// Kernel-backed agreement of the platform tables (permissions, context access, return ranges):
// arrives in the next step.
