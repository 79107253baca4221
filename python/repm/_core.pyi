# Type stubs of the compiled extension `repm._core`. Each binding module of rust/python/src has
# its own section below; keep the sections in the same order as the Rust files.

__version__: str

# --- magnets (rust/python/src/magnets.rs) ---

# --- steels and conductors (rust/python/src/steels.rs) ---

# --- winding (rust/python/src/winding.rs) ---
