"""The routes of the API and the dashboard, one APIRouter per module; main.py includes them all (ROUTERS)."""
