// Placeholder so the package builds until the export module's first file lands; delete it then.
