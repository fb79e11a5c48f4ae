"""Rich renderables for the network, its weights, the loss and the decision
boundary; no Textual here. Import from the modules themselves (``network``,
``table``, ``chart``, ``boundary``, ``snapshot``): importing one does not pull
in the others' heavy dependencies (networkx, plotext)."""
