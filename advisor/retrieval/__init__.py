"""Finding the passages for a question: embeddings, the lexical index, clause identifiers, fusion,
the retriever over client and library stores, the built-in library and its prebuilt vectors, crosswalks."""
