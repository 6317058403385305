create view {view} as {body}
