select {key} from {table} where {key} is not null
