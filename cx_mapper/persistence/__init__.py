"""Files: the cx-mapper/1 JSON interchange and the .cxmap project file. No Qt."""
