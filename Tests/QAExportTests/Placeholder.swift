// Placeholder until the export tests land; delete it then.
