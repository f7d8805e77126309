"""The reviewer's dashboards: indicators, standards and charts at every level of the region tree."""
