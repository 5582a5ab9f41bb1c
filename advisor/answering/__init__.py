"""Answer engines: prompts for LLM backends and the engine that calls a LangChain chat model."""
