"""What the exports hold, without Qt: a journey's figures gathered once, its tables of
real numbers, and the Excel and CSV writers. ui/export draws the summary and the deck
from the same figures and tables; the command line writes a workbook without Qt."""
