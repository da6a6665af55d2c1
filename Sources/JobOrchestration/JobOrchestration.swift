// PLACEHOLDER: the JobOrchestration issue fills this module.
