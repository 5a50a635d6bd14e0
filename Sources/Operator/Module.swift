// The Operator module; see ../shared/DESIGN.md section 4 for what belongs here.
