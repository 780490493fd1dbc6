from piccolo.columns import Integer, Varchar
from piccolo.table import Table


class Revenue(Table, tablename="revenue"):
    month = Varchar(length=7, primary_key=True)  # YYYY-MM
    revenue = Integer(default=0)  # whole dollars, as the original chart
