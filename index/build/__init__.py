"""Writing the index: the store and its generations, one writing session (batch) over
the Whoosh writer and the manifest, and the add and rebuild runs built on it."""
