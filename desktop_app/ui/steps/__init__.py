"""One module per step of the guided report; the step list itself comes from the template."""
