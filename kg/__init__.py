"""techpolicy-kg: a cited knowledge graph of tech-policy actions around Huawei and 5G.

The pipeline is one module per stage, each with a small public function:

- :func:`kg.load.load_facts` reads ``facts/*.yaml`` into records that remember their file and line;
- :func:`kg.compile.compile_graph` turns records into an rdflib graph;
- :func:`kg.validate.validate_graph` runs the SHACL shapes and maps violations back to YAML lines;
- :func:`kg.build.build` runs all three, and :func:`kg.build.write_exports` writes ``exports/``.
"""

__version__ = "0.1.0"
