"""Charts of the daily report: plotly figures built from the stored report, and their PNG export."""
