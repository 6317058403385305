({present} and {value} not in (select {key} from {other} where {key} is not null))
